/* global document */
// English and Chinese labels; elements carry data-i18n keys, figures are formatted per language.
export const LABELS = {
  en: {
    title: 'Ops dashboard', offline: 'offline', online: 'live', signOut: 'Sign out', signInTitle: 'Sign in',
    signInHelp: 'An admin or ops token of this expo.', token: 'Token', signIn: 'Sign in',
    badToken: 'This token is not accepted.', occupancy: 'Live occupancy', alerts: 'Alerts',
    noAlerts: 'No zone at 90 % or more.', near: 'near capacity', full: 'at capacity',
    throughput: 'Gate throughput (scans / min)', rejections: 'Rejections by reason (today)',
    footfall: 'Footfall, last hours', dwell: 'Dwell time (today)', registered: 'Registered',
    visitors: 'Unique visitors today', peak: 'Peak occupancy today', meetings: 'Meetings',
    turnover: 'Intended turnover (USD)', debuts: 'Product debuts', scans: 'Scans accepted / rejected',
    entries: 'Entries', exits: 'Exits', peakLine: 'Peak occupancy', visits: 'visits', median: 'median',
    p90: '90th percentile', minutes: 'min', unknownZone: 'unknown zone', noCapacity: 'no limit', total: 'All gates',
    held: 'held', lang: '中文',
    deadLetters: 'Dead letters', dlqTopic: 'Topic', dlqWaiting: 'Waiting', dlqHeld: 'Held',
    dlqNone: 'Nothing waiting', dlqSome: 'Records wait: look at them, fix the cause, then replay',
    dlqHint: 'Run:', dlqChecked: 'checked', dlqUnavailable: 'Kafka did not answer: these counts may be old',
    categories: { professional_visitor: 'Professional visitors', exhibitor_staff: 'Exhibitor staff', buyer: 'Buyers', media: 'Media', vip: 'VIP', organiser_staff: 'Organiser staff' },
    reasons: { invalid_token: 'Invalid token', expired_badge: 'Expired badge', revoked: 'Revoked', wrong_event: 'Wrong event', not_valid_today: 'Not valid today', zone_not_allowed: 'Zone not allowed', capacity_full: 'Capacity full', already_inside: 'Already inside', not_inside: 'Not inside' },
  },
  zh: {
    title: '运营看板', offline: '离线', online: '实时', signOut: '退出', signInTitle: '登录',
    signInHelp: '本届展会的管理员或运营令牌。', token: '令牌', signIn: '登录',
    badToken: '该令牌无效。', occupancy: '实时在场人数', alerts: '告警',
    noAlerts: '没有区域达到 90 % 以上。', near: '接近容量', full: '已满',
    throughput: '闸口通行量（次/分钟）', rejections: '拒绝原因（今日）',
    footfall: '客流（最近几小时）', dwell: '停留时间（今日）', registered: '注册人数',
    visitors: '今日独立访客', peak: '今日峰值人数', meetings: '洽谈',
    turnover: '意向成交额（美元）', debuts: '首发新品', scans: '通过 / 拒绝',
    entries: '进入', exits: '离开', peakLine: '峰值人数', visits: '次', median: '中位数',
    p90: '90 分位', minutes: '分钟', unknownZone: '未知区域', noCapacity: '不限', total: '全部闸口',
    held: '已举行', lang: 'English',
    deadLetters: '死信', dlqTopic: '主题', dlqWaiting: '待处理', dlqHeld: '保留',
    dlqNone: '没有待处理的记录', dlqSome: '有记录待处理：先查看，修复原因后再重放',
    dlqHint: '运行：', dlqChecked: '检查于', dlqUnavailable: 'Kafka 未响应：这些数字可能已过时',
    categories: { professional_visitor: '专业观众', exhibitor_staff: '参展商工作人员', buyer: '采购商', media: '媒体', vip: '贵宾', organiser_staff: '主办方工作人员' },
    reasons: { invalid_token: '无效令牌', expired_badge: '证件过期', revoked: '已吊销', wrong_event: '非本届展会', not_valid_today: '今日无效', zone_not_allowed: '无权进入该区域', capacity_full: '已满员', already_inside: '已在场内', not_inside: '不在场内' },
  },
};

export function applyLabels(lang) {
  const t = LABELS[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n] ?? el.textContent;
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t[el.dataset.i18nPlaceholder];
  return t;
}

export function formatNumber(lang, n) {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US').format(n);
}
