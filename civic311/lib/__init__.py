"""Shared helpers that own no models."""
