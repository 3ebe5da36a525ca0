"""The shared schema layer: how results and errors become JSON, for the CLI's ``--json`` and the HTTP API."""

from gengbao.interfaces.schemas.envelope import ErrorBody, ErrorEnvelope, error_envelope, to_json_data

__all__ = ["ErrorBody", "ErrorEnvelope", "error_envelope", "to_json_data"]
