//! ext4scope web app (placeholder until the app lands).
