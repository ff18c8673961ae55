/** The GraphQL schema: the builder plus one module per type. */
import { builder } from './builder.js';
import './types/viewer.js';
import './types/person.js';
import './types/agent.js';
import './types/tool.js';
import './types/action.js';
import './types/approval.js';
import './types/delegation.js';
import './types/action-details.js';
import './types/audit-event.js';
import './types/discovery.js';

export const schema = builder.toSchema({ sortSchema: true });
