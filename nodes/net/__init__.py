"""The network, only on request: a guard against private addresses, bounded fetches, the
cache of remote copies, link checks."""
