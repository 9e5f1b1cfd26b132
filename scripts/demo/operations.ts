// How often each kind of day-to-day change happens (relative weights): mostly agents'
// skills, teams, passwords and chat limits, now and then everything else.
import * as config from './config-operations';
import type { Operation } from './story';
import * as users from './user-operations';

export const OPERATIONS: readonly (readonly [Operation, number])[] = [
  [users.moveSkill, 15],
  [users.addSkillToUser, 7],
  [users.removeSkillFromUser, 4],
  [users.changeTeam, 8],
  [users.resetPassword, 9],
  [users.changeMaxChats, 7],
  [users.disableUser, 2.5],
  [users.enableUser, 1.5],
  [users.deleteUser, 1.5],
  [users.hireAgent, 3],
  [users.promoteToLead, 0.4],
  [users.updateContactDetails, 2],
  [users.identitySync, 5],
  [config.editSkill, 6],
  [config.addLaterSkill, 0.3],
  [config.retireSkill, 1],
  [config.editAgentGroup, 1.2],
  [config.addLaterGroup, 0.2],
  [config.deleteEmptyGroup, 0.3],
  [config.editProfile, 1.5],
  [config.editLob, 0.4],
  [config.addSmartHomeLob, 0.05],
  [config.editPostConversationSurvey, 2],
  [config.editAgentSurvey, 1.3],
  [config.editCampaignSchedule, 1.5],
  [config.addLaterCampaignSchedule, 0.2],
  [config.deleteExpiredCampaignSchedule, 0.3],
  [config.editWorkingHours, 2],
  [config.editPredefinedContent, 5],
  [config.addLaterPredefinedContent, 0.5],
  [config.deletePredefinedContent, 0.6],
  [config.addLaterCategory, 0.15],
  [config.renameCategory, 0.5],
  [config.deleteUnusedCategory, 0.3],
];

/** Always possible while any agent exists: the fallback when a drawn operation does not apply. */
export const FALLBACK_OPERATIONS: readonly Operation[] = [users.resetPassword, config.editPredefinedContent, config.editSkill];
