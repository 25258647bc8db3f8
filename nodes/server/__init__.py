"""The HTTP API under ``/awesome/v1/``: route table, handlers, OpenAPI document."""
