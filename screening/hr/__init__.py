"""The HR side: workspace views, filters, exports, analytics, import. No models."""
