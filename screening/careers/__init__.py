"""The candidate side: careers pages, the application form, the typing and chat endpoints. No models."""
