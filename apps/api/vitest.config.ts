import { packageConfig } from '@panel-lab/config-vitest';

export default packageConfig();
