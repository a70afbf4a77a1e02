"""Azure facts."""
