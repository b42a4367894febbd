"""One date and time format across the screens, the e-mails and the texts (issue 10): "1. dec. 2026" and
"22:14". Only how dates are shown is set here; what the forms accept is Django's Danish formats and the
fields' own `input_formats` (unchanged)."""

DATE_FORMAT = "j. N Y"  # 1. dec. 2026
TIME_FORMAT = "H:i"  # 22:14
DATETIME_FORMAT = "j. N Y H:i"  # 1. dec. 2026 22:14
SHORT_DATE_FORMAT = "j. N"  # 1. dec. (the board's compact columns, the year being this one)
SHORT_DATETIME_FORMAT = "j. N H:i"  # 1. dec. 22:14
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
