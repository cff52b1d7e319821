package bench

import "github.com/confluence-graph/confluence-graph/confluence/confluencetest"

// SeededSim starts the simulator in this process with only dataset d (which must hold the
// "classic" account Sim.Account returns), for benchmarks over a corpus of their own.
func SeededSim(d confluencetest.Dataset) (Sim, error) {
	s := confluencetest.NewServer(confluencetest.WithDataset(""))
	if err := s.Seed(d); err != nil {
		s.Close()
		return nil, err
	}
	return &inProcessSim{s: s}, nil
}
