package loaders

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// RawGet reads a path of the tenant's site relative to its /wiki base (for example
// "/rest/api/content/search") with the given query, authenticated as the tenant, and returns
// the body of a 2xx answer or an error.
type RawGet func(ctx context.Context, path string, query url.Values) ([]byte, error)

// ExpandingUpstream is an Upstream whose ContentSearch also fills Content.Comments and
// Content.Attachments (the v1 children.comment / children.attachment expansions) and the child
// position of pages. The loaders then read comments and attachments of many pages in one call.
type ExpandingUpstream interface {
	Upstream
	// ExpandsChildren reports that ContentSearch decodes the children expansions.
	ExpandsChildren() bool
}

// WithV1Expansions returns up with ContentSearch answered by a direct read of the v1 content
// search through get, decoding what the confluence client does not decode yet: the
// children.comment and children.attachment expansions, extensions (child position, comment
// location, inline selection and resolution, attachment media type and size) and the authors
// in version.by. Every other method goes to up.
//
// This is a stop-gap: once confluence.Content carries Children and Extensions, the client
// adapter fills these fields and the wrapper goes away.
func WithV1Expansions(up Upstream, get RawGet) ExpandingUpstream {
	return &v1Expanded{Upstream: up, get: get}
}

type v1Expanded struct {
	Upstream
	get RawGet
}

func (v *v1Expanded) ExpandsChildren() bool { return true }

// flexID decodes a JSON string or number.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
		return nil
	}
	if string(b) == "null" {
		*f = ""
		return nil
	}
	*f = flexID(b)
	return nil
}

type v1User struct {
	AccountID   string `json:"accountId"`
	DisplayName string `json:"displayName"`
	Email       string `json:"email"`
}

type v1Version struct {
	By        *v1User `json:"by"`
	When      string  `json:"when"`
	Number    int     `json:"number"`
	Message   string  `json:"message"`
	MinorEdit bool    `json:"minorEdit"`
}

type v1Links struct {
	Next     string `json:"next"`
	WebUI    string `json:"webui"`
	Download string `json:"download"`
	Base     string `json:"base"`
}

type v1Collection struct {
	Results []v1Content `json:"results"`
	Links   v1Links     `json:"_links"`
}

type v1Content struct {
	ID     flexID `json:"id"`
	Type   string `json:"type"`
	Status string `json:"status"`
	Title  string `json:"title"`
	Space  *struct {
		ID  flexID `json:"id"`
		Key string `json:"key"`
	} `json:"space"`
	Ancestors []struct {
		ID   flexID `json:"id"`
		Type string `json:"type"`
	} `json:"ancestors"`
	Extensions *struct {
		Position         *int   `json:"position"`
		Location         string `json:"location"`
		MediaType        string `json:"mediaType"`
		FileSize         *int64 `json:"fileSize"`
		Comment          string `json:"comment"`
		InlineProperties *struct {
			OriginalSelection string `json:"originalSelection"`
		} `json:"inlineProperties"`
		Resolution *struct {
			Status string `json:"status"`
		} `json:"resolution"`
	} `json:"extensions"`
	Version *v1Version `json:"version"`
	Body    *struct {
		Storage *struct {
			Value string `json:"value"`
		} `json:"storage"`
	} `json:"body"`
	Metadata *struct {
		Labels *struct {
			Results []struct {
				ID     flexID `json:"id"`
				Name   string `json:"name"`
				Prefix string `json:"prefix"`
			} `json:"results"`
			Links v1Links `json:"_links"`
		} `json:"labels"`
	} `json:"metadata"`
	Children *struct {
		Comment    *v1Collection `json:"comment"`
		Attachment *v1Collection `json:"attachment"`
	} `json:"children"`
	Links v1Links `json:"_links"`
}

type v1SearchPage struct {
	Results []v1Content `json:"results"`
	Links   v1Links     `json:"_links"`
}

func parseV1Time(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func (v *v1Expanded) ContentSearch(ctx context.Context, cql string, expand []string, opt ListOptions) ([]Content, string, error) {
	q := url.Values{}
	q.Set("cql", cql)
	if len(expand) > 0 {
		q.Set("expand", strings.Join(expand, ","))
	}
	if opt.Limit > 0 {
		q.Set("limit", fmt.Sprint(opt.Limit))
	}
	if opt.Cursor != "" {
		q.Set("cursor", opt.Cursor)
		q.Set("next", "true")
	}
	body, err := v.get(ctx, "/rest/api/content/search", q)
	if err != nil {
		return nil, "", err
	}
	var page v1SearchPage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, "", fmt.Errorf("loaders: decoding v1 content search: %w", err)
	}
	base := strings.TrimRight(page.Links.Base, "/")
	abs := func(l string) string {
		if l == "" || strings.Contains(l, "://") || base == "" {
			return l
		}
		return base + l
	}
	out := make([]Content, 0, len(page.Results))
	for _, c := range page.Results {
		if c.Type != "" && c.Type != "page" {
			continue
		}
		p := Page{ID: string(c.ID), Title: c.Title, Status: c.Status, WebURL: abs(c.Links.WebUI), Partial: true}
		if n := len(c.Ancestors); n > 0 {
			p.ParentID = string(c.Ancestors[n-1].ID)
		}
		if c.Space != nil {
			p.SpaceID = string(c.Space.ID)
		}
		if c.Extensions != nil && c.Extensions.Position != nil {
			p.Position, p.HasPosition = *c.Extensions.Position, true
		}
		ct := Content{Page: p}
		if md := c.Metadata; md != nil && md.Labels != nil {
			ct.LabelsComplete = md.Labels.Links.Next == "" && len(md.Labels.Results) < v1LabelLimit
			ct.Labels = make([]Label, len(md.Labels.Results))
			for i, l := range md.Labels.Results {
				ct.Labels[i] = Label{ID: string(l.ID), Name: l.Name, Prefix: l.Prefix}
			}
		}
		if ch := c.Children; ch != nil && ch.Comment != nil {
			ct.CommentsComplete = ch.Comment.Links.Next == ""
			for _, x := range ch.Comment.Results {
				cm := Comment{ID: string(x.ID), PageID: p.ID, Kind: CommentFooter}
				for _, a := range x.Ancestors {
					if a.Type == "comment" {
						cm.ParentID = string(a.ID) // the last comment ancestor is the direct parent
					}
				}
				if e := x.Extensions; e != nil {
					if e.Location == CommentInline {
						cm.Kind = CommentInline
					}
					if e.InlineProperties != nil {
						cm.Selection = e.InlineProperties.OriginalSelection
					}
					if e.Resolution != nil {
						cm.ResolutionStatus = e.Resolution.Status
					}
				}
				if x.Version != nil {
					cm.CreatedAt = parseV1Time(x.Version.When)
					if by := x.Version.By; by != nil {
						cm.AuthorID = by.AccountID
						ct.Users = append(ct.Users, User{AccountID: by.AccountID, DisplayName: by.DisplayName, Email: by.Email})
					}
				}
				if x.Body != nil && x.Body.Storage != nil {
					cm.Storage = x.Body.Storage.Value
				}
				ct.Comments = append(ct.Comments, cm)
			}
		}
		if ch := c.Children; ch != nil && ch.Attachment != nil {
			ct.AttachmentsComplete = ch.Attachment.Links.Next == ""
			for _, x := range ch.Attachment.Results {
				a := Attachment{ID: string(x.ID), PageID: p.ID, Title: x.Title, FileSize: -1,
					DownloadURL: abs(x.Links.Download), WebURL: abs(x.Links.WebUI)}
				if e := x.Extensions; e != nil {
					a.MediaType, a.Comment = e.MediaType, e.Comment
					if e.FileSize != nil {
						a.FileSize = *e.FileSize
					}
				}
				if x.Version != nil {
					a.Version, a.CreatedAt = x.Version.Number, parseV1Time(x.Version.When)
					if x.Version.By != nil {
						a.AuthorID = x.Version.By.AccountID
					}
				}
				ct.Attachments = append(ct.Attachments, a)
			}
			sort.SliceStable(ct.Attachments, func(i, j int) bool {
				return lessID(strings.TrimPrefix(ct.Attachments[i].ID, "att"), strings.TrimPrefix(ct.Attachments[j].ID, "att"))
			})
		}
		out = append(out, ct)
	}
	next := ""
	if page.Links.Next != "" {
		if u, err := url.Parse(page.Links.Next); err == nil {
			next = u.Query().Get("cursor")
		}
	}
	return out, next, nil
}
