"""Live in-class mode (课堂互动): a teacher's live session of an online course, joined from
phones by code or QR, carried over WebSockets (ADR 0710-0713)."""
