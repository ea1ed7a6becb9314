"""Builds the secondary breast cancer patient-experience data package, its charts and its site."""
