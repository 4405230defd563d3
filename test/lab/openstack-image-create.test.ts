/** `openstack image create` recorded on the plain-HTTP lab: the reference's 50 steps (see image-create-suite.ts). */
import { imageCreateChecks, recordImageCreateOnLab } from './image-create-suite.js';

imageCreateChecks(recordImageCreateOnLab('openstack-image-create', false));
