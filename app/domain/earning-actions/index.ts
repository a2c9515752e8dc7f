// Ways to earn by doing something: custom actions granted by Flow, social follows in the widget.
export { ACTION_PERIODS, actionKey, periodStart, type ActionPeriod } from "./period";
export {
  isProfileUrl,
  isSocialNetwork,
  profileLinkExample,
  SOCIAL_NETWORK_NAMES,
  SOCIAL_NETWORKS,
  type SocialNetwork,
} from "./social";
