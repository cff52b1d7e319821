// Apollo Federation from outside: compose our subgraph (its SDL fetched from
// the running service) with a second subgraph that only knows Page by id,
// serve the supergraph with Apollo Gateway, and read Page fields through it.
// Those fields can only come from our _entities resolver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { RUNBOOK_CQL, graphql, graphqlURL, requireEnv } from './env.mjs';

// A quiet logger: Apollo's info lines would drown the test report.
const quiet = { debug() {}, info() {}, warn: console.warn, error: console.error };

// incidentsTypeDefs is the second subgraph: incidents that point at a
// runbook page, knowing nothing about it but its id.
const incidentsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    incident(id: ID!): Incident
  }
  type Incident @key(fields: "id") {
    id: ID!
    summary: String!
    relatedPage: Page
  }
  type Page @key(fields: "id", resolvable: false) {
    id: ID!
  }
`);

const readerKey = () => requireEnv('CG_READER_KEY');
const servers = [];
let ourSDL;
let runbook; // { id, title } of the demo deployment runbook, as our service reports it
let incidentsURL;

before(async () => {
  const sdl = await graphql('{ _service { sdl } }', { key: readerKey() });
  assert.equal(sdl.status, 200, `_service: HTTP ${sdl.status}: ${JSON.stringify(sdl.body)}`);
  assert.equal(sdl.body.errors, undefined, `_service errors: ${JSON.stringify(sdl.body.errors)}`);
  ourSDL = sdl.body.data._service.sdl;

  const found = await graphql('query($cql: String!) { search(cql: $cql, first: 5) { nodes { title page { id title } } } }', {
    key: readerKey(),
    variables: { cql: RUNBOOK_CQL },
  });
  assert.equal(found.body.errors, undefined, `search errors: ${JSON.stringify(found.body.errors)}`);
  runbook = found.body.data.search.nodes.find((n) => n.page)?.page;
  assert.ok(runbook, `search for ${RUNBOOK_CQL} found no page`);

  const incidents = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: incidentsTypeDefs,
      resolvers: {
        Query: {
          incident: (_, { id }) => (id === 'INC-1' ? { id, summary: 'Deploy of payments failed', relatedPage: { id: runbook.id } } : null),
        },
      },
    }),
    logger: quiet,
  });
  servers.push(incidents);
  ({ url: incidentsURL } = await startStandaloneServer(incidents, { listen: { host: '127.0.0.1', port: 0 } }));
});

after(async () => {
  for (const s of servers.reverse()) await s.stop();
});

test('our subgraph SDL declares Federation 2 and keys Page by id', () => {
  // Without @link, composition silently treats the subgraph as Federation 1.
  // (assert.ok with a message: assert.match would print the whole SDL.)
  assert.ok(/@link\(\s*url:\s*"https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/.test(ourSDL), 'SDL lacks the federation v2 @link');
  assert.ok(/type Page(\s+implements\s+[\w\s&]+?)?\s+@key\(fields:\s*"id"/.test(ourSDL), 'SDL lacks type Page @key(fields: "id")');
});

function compose() {
  return composeServices([
    { name: 'confluence', url: graphqlURL().toString(), typeDefs: parse(ourSDL) },
    { name: 'incidents', url: incidentsURL, typeDefs: incidentsTypeDefs },
  ]);
}

test('the supergraph composes without errors', () => {
  const result = compose();
  assert.deepEqual(result.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) ?? [], []);
  assert.match(result.supergraphSdl, /type Incident/);
  assert.match(result.supergraphSdl, /join__type\(graph: CONFLUENCE, key: "id"\)/);
});

test('the gateway resolves Page fields of another subgraph through our _entities', async (t) => {
  const { supergraphSdl } = compose();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: quiet,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        // The caller's API key goes through to the subgraphs: the gateway
        // itself holds no credential.
        willSendRequest({ request, context }) {
          if (context.authorization) request.http.headers.set('authorization', context.authorization);
        },
      }),
  });
  const server = new ApolloServer({ gateway, logger: quiet });
  servers.push(server);
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  const query = '{ incident(id: "INC-1") { id summary relatedPage { id title url space { key } } } }';

  await t.test('with the reader key, the page comes back with its title', async () => {
    const { status, body } = await graphql(query, { key: readerKey(), url });
    assert.equal(status, 200);
    assert.equal(body.errors, undefined, `errors: ${JSON.stringify(body.errors)}`);
    const page = body.data.incident.relatedPage;
    assert.equal(page.id, runbook.id);
    assert.equal(page.title, runbook.title);
    assert.ok(page.space.key, 'space key is empty');
  });

  await t.test('without a key, our subgraph refuses the entity fetch', async () => {
    const { body } = await graphql(query, { url });
    assert.equal(body.data?.incident?.summary, 'Deploy of payments failed', 'the incidents part should still resolve');
    const page = body.data.incident.relatedPage;
    assert.ok(page == null || page.title == null, `page title leaked without a key: ${JSON.stringify(page)}`);
    assert.ok(body.errors?.length > 0, 'want an error for the refused entity fetch');
  });
});
