package model

// BlogPost is a Confluence blog post. It is the same record as Page (Content ContentTypeBlogpost;
// ParentID, Depth and Position stay empty), a distinct type so that GraphQL can tell the two
// apart behind the Content interface: convert with (*Page)(b) and (*BlogPost)(p).
type BlogPost Page

// IsContent marks BlogPost as an implementation of the Content interface.
func (BlogPost) IsContent() {}

// IsEntity marks BlogPost as a federation entity (@key).
func (BlogPost) IsEntity() {}

// IsBlogPost reports whether the record is a blog post.
func (p *Page) IsBlogPost() bool { return p.Content == ContentTypeBlogpost }
