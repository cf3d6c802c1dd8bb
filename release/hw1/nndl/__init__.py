"""Student package of hw1: least squares and cross-validation."""
