"""The Textual UI of coder: view state only; everything it does goes through the Project facade."""
