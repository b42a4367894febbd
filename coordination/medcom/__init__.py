"""MedCom FHIR messages in and out: the pure reader (`reader`) and the Acknowledgement (`acknowledgement`)."""

from coordination.medcom.reader import MedcomError, Message, read_message

__all__ = ["MedcomError", "Message", "read_message"]
