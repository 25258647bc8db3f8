"""The HTTP API under ``/awesome/v1/``: route table, handlers, JSON responses (with the one
mapping of domain errors to statuses), OpenAPI document, and the sidebar's generated copy of
the constants it shares with the server."""
