"""Django project configuration of the Tín Nhiệm web application."""
