"""Reading what a stored file holds, without the database: MP4 duration and picture size,
thumbnails of images, PDFs and videos, and Office documents made into a PDF preview."""
