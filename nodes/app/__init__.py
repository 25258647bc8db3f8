"""The running pack: which sources are on, the user's data, and the actions that the HTTP
handlers, the nodes and the command line share."""
