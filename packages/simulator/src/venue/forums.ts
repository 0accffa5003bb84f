/**
 * Rooms of the Hongqiao International Economic Forum: the main forum and 19 sub-forums. The titles
 * follow the themes the forum has run (trade openness, digital economy, green development, WTO
 * reform, health, food security, ...); they are representative, not an official programme.
 */
export const HONGQIAO_MAIN_FORUM = 'Hongqiao International Economic Forum: Main Forum';

export const HONGQIAO_SUB_FORUMS = [
  'Release of the World Openness Report',
  'Digital Economy and Global Trade',
  'Green and Low-carbon Development',
  'WTO Reform and the Multilateral Trading System',
  'Resilient and Stable Global Supply Chains',
  'Opening-up of Trade in Services',
  'Artificial Intelligence and Industrial Transformation',
  'Innovation in Health and Life Sciences',
  'Global Food Security and Agricultural Trade',
  'High-quality Belt and Road Cooperation',
  'China–Africa Economic and Trade Cooperation',
  'RCEP and Regional Economic Integration',
  'Cross-border E-commerce and New Retail',
  'Consumption Upgrading and Imported Brands',
  'Intellectual Property and Innovation',
  'ESG and Sustainable Business',
  'Financial Opening-up and Trade Facilitation',
  'Smart Mobility and New Energy Vehicles',
  'Small and Medium-sized Enterprises in Global Value Chains',
] as const;
