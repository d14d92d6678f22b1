"""The lab: real endpoints (`api.py`) and a console (`views.py`, `presets.py`) that show what a
status really does in a browser. Part of learning to read; it stores nothing."""
