import ListGroups from './list_groups.js'

export const COMMANDS = {
  list_groups: ListGroups,
}
