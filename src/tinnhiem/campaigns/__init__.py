"""Vote rounds (kế hoạch), the organisation tree and the officials polled."""
