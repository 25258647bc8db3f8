"""The running pack: which sources are on, the user's data, and what the HTTP handlers, the
nodes and the command line share: the service answers, refreshes and link checks."""
