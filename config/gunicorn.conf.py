"""Gunicorn settings (the Procfile's `web` passes `-c config/gunicorn.conf.py`). Command-line flags win."""

# Full CPR numbers never reach the access or error log: a logger that masks them (DDMMYY-••••).
logger_class = "config.gunicorn_logger.MaskCprLogger"
