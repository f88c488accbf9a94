"""The Python floor: an empty script, so `python main.py --check` can be compared with what any
Python command costs here (interpreter start and `site`), as the cdktf floors are for synths."""
