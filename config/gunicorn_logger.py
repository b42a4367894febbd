"""Gunicorn's logger with every CPR-like number masked (issue 11): the access log's request lines carry the
board's and the admin's `?q=<CPR>` searches, and its referrer field the pages they came from."""

from gunicorn.glogging import Logger

from coordination.logging import MaskCprFilter, mask


class MaskCprLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskCprFilter) for f in log.filters):
                log.addFilter(MaskCprFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()}
