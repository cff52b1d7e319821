package model

// IsContent marks Page as an implementation of the Content interface.
func (Page) IsContent() {}
