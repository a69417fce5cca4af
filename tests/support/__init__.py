"""Helpers and fixture plugins shared by several test folders (registered in tests/conftest.py)."""
