"""Complaints and commendations about officers, filed with the agency's professional-standards unit."""
