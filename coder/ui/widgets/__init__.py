"""Widgets of the coding workbench: they get attributes from their screen and post messages up."""
