/** The floor's only activity (diagnostics): returns its input. */
export const floorActivities = {
  async floorEcho(payload: unknown): Promise<unknown> {
    return payload;
  },
};
