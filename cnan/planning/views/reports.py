def register_pages() -> None:
    """Menu items, list exports, search targets and home widgets of this area's pages."""
