"""Services: one function per use case; transactions and audit live here."""
