enum ReferenceMISPlaceholder {}
