"""OpenVET: an open-source digital campus for vocational education."""
