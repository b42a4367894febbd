"""MedCom FHIR messages in and out: the pure reader (`reader`) and the Acknowledgement (`acknowledgement`)."""

from coordination.medcom.messages import MedcomError, Message
from coordination.medcom.reader import read_message

__all__ = ["MedcomError", "Message", "read_message"]
