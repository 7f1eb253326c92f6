"""Code that pages share and show (``--8<-- "snippets/<file>.py"``); importable and tested."""
