package loaders

import "context"

// OnDataCenter is implemented by an Upstream that can say whether its tenant's Confluence is
// Data Center (NewClientUpstream's and NewV1Upstream's, and the wrappers of this package
// around them).
type OnDataCenter interface {
	DataCenter() bool
}

// DataCenter implements OnDataCenter.
func (u *clientUpstream) DataCenter() bool { return u.c.DataCenter() }

// DataCenter implements OnDataCenter: up's answer (false when up does not say).
func (f *fallbackUpstream) DataCenter() bool { return onDataCenter(f.Upstream) }

// DataCenter implements OnDataCenter: up's answer (false when up does not say).
func (u *policied) DataCenter() bool { return onDataCenter(u.Upstream) }

func onDataCenter(up Upstream) bool {
	d, ok := up.(OnDataCenter)
	return ok && d.DataCenter()
}

// DataCenter binds the request to its tenant's Upstream and reports whether it is Confluence
// Data Center (bodies then mention users by user key); no upstream call. Errors binding the
// upstream, and nil loaders, report false.
func (l *Loaders) DataCenter(ctx context.Context) bool {
	if l == nil {
		return false
	}
	up, err := l.upstream(ctx)
	return err == nil && onDataCenter(up)
}
