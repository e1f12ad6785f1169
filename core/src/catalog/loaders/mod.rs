//! Loaders: turn files into catalogs.
