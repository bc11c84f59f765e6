import { defineModule } from "../../lib/module";
import * as op from "./operations";

/** Keys for third-party systems. */
export default defineModule({
  name: "api-keys",
  tags: [{ name: "Admin: API keys", description: "Keys for third-party systems (admins only)" }],
  operations: {
    admin: { apiKeys: { list: op.listApiKeys, create: op.createApiKey, revoke: op.revokeApiKey } },
  },
});
