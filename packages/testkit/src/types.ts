/** Seed key → vendor id, per entity, as returned by `state.seed(tenant)`. */
export interface SeedResult<AgentId, OtherId = AgentId> {
  roles: Record<string, OtherId>;
  departments: Record<string, OtherId>;
  groups: Record<string, OtherId>;
  agents: Record<string, AgentId>;
}
