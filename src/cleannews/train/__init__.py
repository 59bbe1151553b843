"""Trainers for the models shipped under ``cleannews/models``."""
