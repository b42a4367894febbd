"""The English screens' dates and times, in the same shape as the Danish ones (config/formats/da): day,
abbreviated month, year and a 24-hour clock, as a hospital reads them: "1 Dec 2026", "22:14"."""

DATE_FORMAT = "j M Y"  # 1 Dec 2026
TIME_FORMAT = "H:i"  # 22:14
DATETIME_FORMAT = "j M Y H:i"  # 1 Dec 2026 22:14
SHORT_DATE_FORMAT = "j M"  # 1 Dec
SHORT_DATETIME_FORMAT = "j M H:i"  # 1 Dec 22:14
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
