package model

import "time"

// TreeNode is a folder, whiteboard, database or embed: content of the page tree that is not a
// page. A record built from a listing is partial (Partial true): ID, Title, Kind and, when
// known, Status, ParentID, ParentType and Position; resolvers read the rest by id.
type TreeNode struct {
	ID    string
	Title string
	// Kind is folder, whiteboard, database or embed.
	Kind    string
	Partial bool
	Status  ContentStatus
	SpaceID string
	// ParentID and ParentType name the parent ("" at the space root).
	ParentID    string
	ParentType  string
	Position    int
	HasPosition bool
	AuthorID    string
	Created     time.Time
	URL         string // absolute link in the web UI; "" on a partial record
}

// Folder is a folder of the page tree.
type Folder struct{ TreeNode }

// OtherContent is a whiteboard, database or embed.
type OtherContent struct{ TreeNode }

// IsContent marks Folder as an implementation of the Content interface.
func (Folder) IsContent() {}

// IsContent marks OtherContent as an implementation of the Content interface.
func (OtherContent) IsContent() {}

// NodeFromListing turns a listing record of a non-page kind (Page.Kind) into a partial TreeNode.
func NodeFromListing(p Page) TreeNode {
	return TreeNode{ID: p.ID, Title: p.Title, Kind: p.Kind, Partial: true, Status: p.Status, SpaceID: p.SpaceID,
		ParentID: p.ParentID, ParentType: p.ParentType, Position: p.Position, HasPosition: p.HasPosition}
}

// IsPageKind reports whether a tree kind names a page ("" counts as page).
func IsPageKind(kind string) bool { return kind == "" || kind == "page" }

// IsEntity marks Folder as a federation entity (@key).
func (Folder) IsEntity() {}
