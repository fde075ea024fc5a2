"""The Qt-free core: project file, model, tagset, offsets and text handling."""
