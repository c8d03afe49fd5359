import type { SeededRandom } from './random';

/** Characters of a unified social credit code (统一社会信用代码): digits and capitals without I, O, S, V, Z. */
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const AREA_CODES = ['110105', '310115', '320102', '330106', '370202', '420106', '440305', '510107', '610113', '120101'];

/**
 * An 18-character 统一社会信用代码 with a valid GB 32100 check character. `81` marks a grassroots
 * trade union registered with the union (工会), `91` an enterprise.
 */
export function unifiedSocialCreditCode(rng: SeededRandom, kind: 'union' | 'enterprise'): string {
  let body = (kind === 'union' ? '81' : '91') + rng.pick(AREA_CODES);
  for (let i = 0; i < 9; i++) body += CODE_CHARS[rng.int(0, i === 0 ? 9 : 30)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CODE_CHARS.indexOf(body[i]!) * CODE_WEIGHTS[i]!;
  return body + CODE_CHARS[(31 - (sum % 31)) % 31];
}

const CITIES = ['北京', '上海', '南京', '杭州', '青岛', '武汉', '深圳', '成都', '西安', '天津', '苏州', '宁波'];
const BRANDS = ['恒达', '华信', '德润', '金桥', '宏远', '盛泰', '新创', '万和', '鼎盛', '联合', '博雅', '海纳', '安康', '瑞丰'];
const TRADES = ['科技', '文化传媒', '物业管理', '餐饮管理', '体育发展', '会展服务', '印务', '旅行社', '教育咨询', '商贸'];
const ENTERPRISES = ['机械制造', '电子', '纺织', '建设工程', '物流', '食品', '汽车零部件', '化工', '医药', '钢铁'];

/** A company's name (发票抬头 or supplier). */
export function companyName(rng: SeededRandom): string {
  return `${rng.pick(CITIES)}${rng.pick(BRANDS)}${rng.pick(TRADES)}有限公司`;
}

/** The name of a grassroots union (基层工会) of a member enterprise. */
export function grassrootsUnionName(rng: SeededRandom): string {
  return `${rng.pick(CITIES)}${rng.pick(BRANDS)}${rng.pick(ENTERPRISES)}有限公司工会委员会`;
}

/** The name of a city's union federation (总工会). */
export function federationName(rng: SeededRandom): string {
  return `${rng.pick(CITIES)}市总工会`;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林'];
const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英'];

/** A person's name, for claimants of reimbursements. */
export function personName(rng: SeededRandom): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
}

/** Users who prepare vouchers (会计) and users who approve them (财务主管): disjoint, so no one approves their own. */
export const PREPARERS = ['wang.fang', 'li.na', 'zhang.min', 'chen.jing', 'liu.yang', 'zhao.lei'] as const;
export const APPROVERS = ['zhou.qiang', 'wu.yan', 'sun.tao'] as const;

export interface LedgerStaff {
  preparers: string[];
  approvers: string[];
}

export function ledgerStaff(rng: SeededRandom): LedgerStaff {
  const first = rng.int(0, PREPARERS.length - 1);
  const preparers = [PREPARERS[first]!, PREPARERS[(first + 1 + rng.int(0, PREPARERS.length - 2)) % PREPARERS.length]!];
  return { preparers, approvers: [rng.pick(APPROVERS)] };
}
