"""Printouts (PDF, WeasyPrint): the citizen's USR copy and the municipality's, the PFP with its history, the
aftalekort, and the downtime board. One module per document; `base` renders, `course` gathers the facts,
`content` reads the text that messages carry. Views: `coordination/views/printouts.py`."""

import logging

# WeasyPrint reports each step of every render (and of its own import) at INFO; not for the app's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
